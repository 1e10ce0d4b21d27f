// A TypeScript project using pandora-mq with no DOM lib and no host types
// (lib ["es2022"] only): index.d.ts must compile on its own. Type-checked
// under moduleResolution bundler, node16 and nodenext, and by `deno check`.
import { Server, PandoraError, memoryStorage, indexedDbStorage, initWasm, type Message, type Storage } from "pandora-mq";

const storage: Storage = memoryStorage();
const server = new Server({ storage, clock: () => 0, maxSize: 1 << 20 });

export async function roundTrip(): Promise<string | null> {
  await initWasm(new Uint8Array(0));
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { topic: "hi", tag: ["a", "b"] } });
  const message: Message | null = await server.fetchLatest("bob", { lease: "30s" });
  if (message) await server.ack(message.mid, message.lid, "confirmed");
  return mid;
}

export function isPandora(err: unknown): string | undefined {
  return err instanceof PandoraError ? err.code : undefined;
}

export const browserStore = () => indexedDbStorage("app", { locks: null });
// @ts-expect-error a status outside AckStatus is refused
void server.ack("m", "l", "maybe");
