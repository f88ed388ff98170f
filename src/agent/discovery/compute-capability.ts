/**
 * compute-capability: CUDA compute capability by GPU name, for drivers whose `nvidia-smi -q`
 * does not print it (it is in `--query-gpu=compute_cap` since driver 510, which the agent asks
 * first). Source for every row: NVIDIA, "CUDA GPUs — Compute Capability",
 * https://developer.nvidia.com/cuda-gpus. First match wins, so specific names come first.
 */

const TABLE: Array<[RegExp, string]> = [
  [/\bB(100|200)\b|GB200/i, '10.0'],
  [/\bRTX (PRO )?50\d0|RTX PRO 6000 Blackwell/i, '12.0'],
  [/\bH(100|200|800|20)\b|GH200/i, '9.0'],
  [/\bL40S?\b|\bL4\b|\bL20\b|RTX 40\d0|RTX 6000 Ada|RTX [0-9]+ Ada/i, '8.9'],
  [/\bA100\b|\bA800\b|\bA30\b/i, '8.0'],
  [/\bA10G?\b|\bA40\b|\bA16\b|\bA2\b|RTX 30\d0|RTX A\d{4}/i, '8.6'],
  [/\bT4\b|RTX 20\d0|GTX 16\d0|Quadro RTX|TITAN RTX/i, '7.5'],
  [/\bV100\b|TITAN V\b/i, '7.0'],
  [/\bP100\b/i, '6.0'],
  [/\bP(4|40)\b|GTX 10\d0|TITAN Xp?\b/i, '6.1'],
  [/\bK80\b/i, '3.7'],
];

/** computeCapabilityByName looks a GPU name up in the table; "" when unknown. */
export function computeCapabilityByName(name: string): string {
  return TABLE.find(([pattern]) => pattern.test(name))?.[1] ?? '';
}
