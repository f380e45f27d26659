// Health probe used by scripts/stack: exits 0 when the part answers like a healthy one.
//   tsx scripts/stack-probe.ts kafka 127.0.0.1:9092
import { Kafka, logLevel } from 'kafkajs';

async function probeKafka(broker: string): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'stack-probe',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

const [part, address] = process.argv.slice(2);
const timer = setTimeout(() => process.exit(1), 8000);
const ok = part === 'kafka' && address ? await probeKafka(address) : false;
clearTimeout(timer);
process.exit(ok ? 0 : 1);
