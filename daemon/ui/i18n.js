// Interface text: Chinese by default, English switchable (kept per browser). A key is the
// English text; a missing translation shows the key.
const zh = {
  'fulfild': 'fulfild 仓储发货',
  'Log in': '登录',
  'Log out': '退出',
  'User name': '用户名',
  'Password': '密码',
  'Wrong user name or password': '用户名或密码错误',
  'Too many wrong passwords: try again in {n} s': '密码错误次数过多，请 {n} 秒后再试',
  'Your session has ended: log in again': '登录已过期，请重新登录',
  'Cannot reach the daemon': '无法连接服务',
  'Review': '审单',
  'Problems': '问题单',
  'Staff': '人员',
  'Audit log': '审计日志',
  'Queues': '队列',
  'Slice': '分段',
  'Ready': '待审',
  'Key cities ready': '重点城市待审',
  'In review': '审核中',
  'Claim next batch': '领取下一批',
  'My parcels': '我的包裹',
  'Nothing claimed: claim the next batch': '没有领取的包裹：请领取下一批',
  'Serial': '流水号',
  'City': '城市',
  'Buyer': '买家',
  'Paid': '付款时间',
  'Key city': '重点城市',
  'Approve': '通过',
  'Park': '挂起',
  'Release': '释放',
  'Cancel': '取消',
  'Why?': '原因？',
  'Say why': '请填写原因',
  'Problem': '问题',
  'No problem parcels': '没有问题单',
  'Lines': '商品',
  'History': '记录',
  'Quantity': '数量',
  'Approved': '已通过',
  'Parked': '已挂起',
  'Released': '已释放',
  'Users': '用户',
  'Add user': '添加用户',
  'Name': '名称',
  'Roles': '角色',
  'Disabled': '已停用',
  'Disable': '停用',
  'Enable': '启用',
  'Save roles': '保存角色',
  'Tokens': '接口令牌',
  'Add token': '添加令牌',
  'Role': '角色',
  'Revoke': '吊销',
  'Revoked': '已吊销',
  'Last used': '最后使用',
  'Copy this token now: it is shown once': '请立即复制此令牌：只显示一次',
  'When': '时间',
  'Who': '操作人',
  'Action': '操作',
  'Target': '对象',
  'Detail': '说明',
  'Address': '地址',
  'Filter': '筛选',
  'Saved': '已保存',
  'packer': '打包员',
  'picker': '配货员',
  'reviewer': '审单员',
  'problem_handler': '问题处理',
  'customer_service': '客服',
  'supervisor': '主管',
  'admin': '管理员',
  'ready': '待审',
  'in_review': '审核中',
  'problem': '问题',
  'approved': '已审核',
  'waybill': '已分配运单',
  'printed': '已打印',
  'intercepted': '已拦截',
  'cancelled': '已取消',
  'merged': '已合并',
  'Nothing here for your roles': '没有适合您角色的页面',
};

const dictionaries = { zh, en: {} };
let lang = localStorage.getItem('fulfil.lang') === 'en' ? 'en' : 'zh';

export function language() { return lang; }
export function setLanguage(l) {
  lang = l === 'en' ? 'en' : 'zh';
  localStorage.setItem('fulfil.lang', lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

// t('Too many wrong passwords: try again in {n} s', {n: 30})
export function t(key, vars = {}) {
  let text = dictionaries[lang][key] ?? key;
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}
