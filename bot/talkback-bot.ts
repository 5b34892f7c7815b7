import type { TurnContext } from 'botbuilder';
import { FLOOD_REFUSAL, TalkbackTurns, type TalkbackBotOptions, type Turn } from './talkback-turn.js';

export type { TalkbackBotOptions } from './talkback-turn.js';

/**
 * The bot on botbuilder: each turn goes straight to the SDK-neutral TalkbackTurns by its activity type.
 *
 * Not an ActivityHandler: its chain of handlers ("Turn", "Message", "Dialog", each through its own async
 * wrappers) lives as long as a turn, and under a flood of messages those objects outlive the intake's
 * young-generation collections and fill its old generation (measured: the largest share of what the
 * intake promoted). talkback registers two handlers and no middleware, so the chain did nothing else.
 * An activity of any other type (typing, an invoke, ...) is answered by CloudAdapter as before: 200,
 * or 501 for an invoke that no handler answered.
 */
export class TalkbackBot {
  private readonly turns: TalkbackTurns;

  constructor(options: TalkbackBotOptions) {
    this.turns = new TalkbackTurns(options);
  }

  async run(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (activity.type === 'message') {
      const refused = await this.turns.onMessage(turnOf(context));
      if (refused) context.turnState.set(FLOOD_REFUSAL, refused);
    } else if (activity.type === 'conversationUpdate' && (activity.membersAdded?.length ?? 0) > 0) {
      await this.turns.onMembersAdded(turnOf(context));
    }
  }
}

function turnOf(context: TurnContext): Turn {
  return {
    activity: context.activity,
    send: async (text) => void (await context.sendActivity(text)),
  };
}
