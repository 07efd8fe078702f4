// The daemon notes each decision on a reminder in English ("SMS skipped: phoned 11-12
// 10:05"), as its API and logs speak; the page says them in the person's language. A note
// this table does not know is shown as it came.
import { language } from '../i18n.js';

const channel = { IM: '旺旺', SMS: '短信', phone: '电话' };
const reasons = [
  [/^the buyer is on the sensitive list$/, () => '买家在敏感名单上'],
  [/^the buyer asked not to be reminded again$/, () => '买家要求不再催付'],
  [/^a big order is not reminded the same way twice$/, () => '大额订单同一方式不重复催付'],
  [/^reminded (\d+) times in (\d+) days already$/, (m) => `${m[2]} 天内已催 ${m[1]} 次`],
  [/^no mobile number$/, () => '没有手机号'],
  [/^no phone number$/, () => '没有电话号码'],
  [/^paid an order (.+)$/, (m) => `${m[1]} 付过款`],
  [/^texted (.+)$/, (m) => `${m[1]} 已发过短信`],
  [/^phoned (.+)$/, (m) => `${m[1]} 已打过电话`],
];
const notes = [
  [/^(IM|SMS|phone) skipped: (.+)$/, (m) => `不用${channel[m[1]]}：${reason(m[2])}`],
  [/^not reminded: the buyer is on the sensitive list$/, () => '不催付：买家在敏感名单上'],
  [/^not reminded: the buyer asked never to be again$/, () => '不催付：买家要求不再催付'],
  [/^closed unpaid$/, () => '未付款，交易已关闭'],
  [/^paid (.+): (.+) recovered \((.+)\)$/, (m) => `${m[1]} 付款：追回 ${m[2]} 元（${channel[m[3]] ?? m[3]}）`],
  [/^paid (.+), not within the attribution window of a reminder$/, (m) => `${m[1]} 付款（不在催付后的计算期内）`],
  [/^no answer to (\d+) messages in two days: given up \(seed 004\)$/, (m) => `两天内 ${m[1]} 条消息没有回复：放弃`],
  [/^SMS answer was lost; the gateway has it \((.+)\): not sent again$/, (m) => `短信回执丢失，网关已收到（${m[1]}）：不重发`],
  [/^SMS failed: (.+?)( \(its window ended\)| \(not retried\))?$/, (m) => `短信失败：${m[1]}${m[2] ? (m[2].includes('window') ? '（时段已过）' : '（不重试）') : ''}`],
  [/^no saved text "(.+)" for this (.+): write one$/, (m) => `没有话术“${m[1]}”，请先写好`],
];

function reason(text) {
  for (const [re, zh] of reasons) {
    const m = text.match(re);
    if (m) return zh(m);
  }
  return text;
}

export function noteText(text) {
  if (language() !== 'zh') return text;
  for (const [re, zh] of notes) {
    const m = text.match(re);
    if (m) return zh(m);
  }
  return text;
}
