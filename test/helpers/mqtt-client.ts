import mqtt, { type MqttClient } from 'mqtt';
import { waitFor } from './wait.js';

export interface Received {
  topic: string;
  text: string;
  retain: boolean;
}

/** A local MQTT consumer as a user would run one: subscribes and records everything it receives. */
export class TestSubscriber {
  readonly messages: Received[] = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      this.messages.push({ topic, text: payload.toString('utf8'), retain: packet.retain });
    });
  }

  static async connect(url: string, filters: string[], options: mqtt.IClientOptions = {}): Promise<TestSubscriber> {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 100, ...options });
    const subscriber = new TestSubscriber(client);
    await client.subscribeAsync(filters, { qos: 1 });
    return subscriber;
  }

  on(topic: string): Received[] {
    return this.messages.filter((message) => message.topic === topic);
  }

  waitFor(what: string, predicate: (message: Received) => boolean, deadlineMs = 10_000): Promise<Received> {
    return waitFor(what, () => this.messages.find(predicate), deadlineMs);
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
