/** AGENT_VERSION is reported in Hello; it follows package.json. */
export const AGENT_VERSION = '0.1.0';
