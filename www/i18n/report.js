// Strings of the report head, the report view and the options-used table (views/report.js).

export const REPORT = {
  en: {
    reportTitle: 'Customer value report',
    reportMeta: '{file} · as of {date} · made {when} with tierwise {version}',
    reportView: 'Report view',
    reportBack: 'Back to the workbench',
    reportPrint: 'Print / PDF',
    reportOptionsTitle: 'Options used',
    reportOptionsLead: 'Every option of this analysis, defaults filled in. Save them with the options panel to repeat the analysis next quarter.',
    reportOption: 'Option',
    reportValue: 'Value',
    exportJson: 'Summary (JSON)',
    exportJsonHint: 'The analysis summary as JSON, the same object the command line writes with --summary',
  },
  zh: {
    reportTitle: '客户价值报告',
    reportMeta: '{file} · 分析日期 {date} · 由 tierwise {version} 生成于 {when}',
    reportView: '报告视图',
    reportBack: '返回工作台',
    reportPrint: '打印 / PDF',
    reportOptionsTitle: '所用选项',
    reportOptionsLead: '本次分析的全部选项（含默认值）。可在选项面板中保存，下季度重复同样的分析。',
    reportOption: '选项',
    reportValue: '值',
    exportJson: '摘要（JSON）',
    exportJsonHint: '分析摘要的 JSON 文件，与命令行 --summary 写出的对象相同',
  },
};
