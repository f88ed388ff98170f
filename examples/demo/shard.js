// Tessera demo shard: counts the primes in this shard's slice of [0, N) and reports them.
// Reads the environment Tessera sets for every shard and writes a JSON result.
const fs = require('node:fs');

const index = Number(process.env.TESSERA_SHARD_INDEX);
const count = Number(process.env.TESSERA_SHARD_COUNT);
const N = Number(process.env.DEMO_LIMIT || 2_000_000);
const start = Math.floor((N * index) / count);
const end = Math.floor((N * (index + 1)) / count);

function isPrime(n) {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

let primes = 0;
for (let n = start; n < end; n++) if (isPrime(n)) primes++;
console.log(`shard ${index}/${count}: ${primes} primes in [${start}, ${end})`);
fs.writeFileSync(process.env.TESSERA_RESULT_PATH, JSON.stringify({ start, end, primes }));
