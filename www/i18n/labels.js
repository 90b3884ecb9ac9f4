// Labels the core's summary does not translate (churn flags, risk levels, activity classes, lifecycle
// stages, rejection reasons): value → [English, Chinese].

export const LABELS = {
  flag: {
    inactive: ['Inactive', '长期未购'],
    overdue: ['Overdue', '超期未复购'],
    high_value_lapsed: ['High value lapsed', '高价值流失'],
    declining: ['Declining', '消费下滑'],
    signal: ['Signal', '风险信号'],
  },
  risk: { high: ['High', '高'], medium: ['Medium', '中'], low: ['Low', '低'] },
  activity: { high: ['High', '高频活跃'], low: ['Low', '低频使用'], idle: ['Idle', '闲置'] },
  lifecycle: {
    new: ['New', '新客'],
    one_time: ['One-time', '一次性客户'],
    lapsed: ['Lapsed', '已流失'],
    reactivated: ['Reactivated', '已挽回'],
    at_risk: ['At risk', '有风险'],
    mature: ['Mature', '成熟'],
    active: ['Active', '活跃'],
  },
  reason: {
    malformed_row: ['Malformed row (too many fields)', '格式错误（字段过多）'],
    repeated_header: ['Repeated header', '重复的表头'],
    missing_customer: ['Missing customer id', '缺少客户编号'],
    bad_date: ['Bad or missing date', '日期无效或缺失'],
    bad_amount: ['Bad or missing amount', '金额无效或缺失'],
  },
};
