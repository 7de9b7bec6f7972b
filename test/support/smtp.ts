import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server for a test: it accepts every message and keeps it, parsed. */
export interface TestSmtp {
  url: string;
  port: number;
  messages: ParsedMail[];
  stop(): Promise<void>;
  /** Starts again on the same port (after `stop`), keeping what arrived before. */
  restart(): Promise<void>;
}

export async function startSmtp(port = 0): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  let server: SMTPServer;
  const listen = async (onPort: number) => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream).then((mail) => {
          messages.push(mail);
          callback();
        }, callback);
      },
    });
    await new Promise<void>((resolve) => server.listen(onPort, '127.0.0.1', () => resolve()));
    return (server.server.address() as AddressInfo).port;
  };
  const actual = await listen(port);
  return {
    url: `smtp://127.0.0.1:${actual}`,
    port: actual,
    messages,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    restart: async () => {
      await listen(actual);
    },
  };
}
