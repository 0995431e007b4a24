/** Whether an answer fits its poll: the right form, existing options, within the limits. */
import type { PollActivity, PollAnswer } from '../../../shared/protocol/index.js';
import { scaleValues } from '../../../shared/protocol/pollScale.js';

export function validateAnswer(poll: PollActivity, answer: PollAnswer): string | null {
  if ('preferNot' in answer) return poll.allowPreferNot ? null : 'this poll asks everyone to answer';
  const known = new Set(poll.options.map((o) => o.id));
  switch (poll.type) {
    case 'single':
      if (!('choice' in answer)) return 'this poll takes one choice';
      return known.has(answer.choice) ? null : 'that option is not in this poll';
    case 'multiple': {
      if (!('choices' in answer)) return 'this poll takes a list of choices';
      const max = poll.maxSelections ?? poll.options.length;
      if (answer.choices.length > max) return `choose at most ${max}`;
      if (new Set(answer.choices).size !== answer.choices.length) return 'an option is chosen twice';
      return answer.choices.every((id) => known.has(id)) ? null : 'an option is not in this poll';
    }
    case 'scale':
      if (!('value' in answer)) return 'this poll takes a value on its scale';
      return scaleValues(poll.scale).includes(answer.value) ? null : 'that value is not on the scale';
    case 'ranking':
      if (!('ranking' in answer)) return 'this poll takes a ranking';
      if (new Set(answer.ranking).size !== answer.ranking.length) return 'an option is ranked twice';
      return answer.ranking.every((id) => known.has(id)) ? null : 'a ranked option is not in this poll';
    case 'open':
      return 'text' in answer ? null : 'this poll takes a short text';
  }
}
