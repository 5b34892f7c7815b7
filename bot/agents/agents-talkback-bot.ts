import { ActivityHandler, type TurnContext } from '@microsoft/agents-hosting';
import { FLOOD_REFUSAL, TalkbackTurns, type TalkbackBotOptions, type Turn } from '../talkback-turn.js';

/** The bot on the Microsoft 365 Agents SDK: its ActivityHandler routes each turn to the SDK-neutral TalkbackTurns. */
export class AgentsTalkbackBot extends ActivityHandler {
  constructor(options: TalkbackBotOptions) {
    super();
    const turns = new TalkbackTurns(options);
    this.onMessage(async (context, next) => {
      const refused = await turns.onMessage(turnOf(context));
      if (refused) context.turnState.set(FLOOD_REFUSAL, refused);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      await turns.onMembersAdded(turnOf(context));
      await next();
    });
  }
}

function turnOf(context: TurnContext): Turn {
  return {
    activity: context.activity,
    send: async (text) => void (await context.sendActivity(text)),
  };
}
