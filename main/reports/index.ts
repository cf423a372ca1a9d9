/**
 * main/reports: analyst products. Reports (answers from the audit log plus
 * marked analyst notes, rendered to PDF, DOCX or Markdown from a template)
 * and the Admiralty source grades shown next to every citation.
 */
export { askPayloadSchema, assertReadable, citedChunkIds, loadAnswer, type RecordedAnswer } from './answers.js';
export { type CairnHandle, depsFor, type ProductDeps } from './deps.js';
export { CREDIBILITY, describeGrade, type Grade, gradeCode, type GradeFilter, gradeFromMetadata, gradePasses, parseGrade, parseGradeFilter, RELIABILITY, type SourceGrade } from './grade.js';
export { filterByGrade, type GradeChange, GradeBook, gradeOf, gradesFile, resolveSource, setSourceGrade } from './grade-book.js';
export { buildRenderModel, type RenderModel } from './model.js';
export { writeProduct, type WrittenProduct } from './output.js';
export {
  addAnswer,
  addNote,
  createReport,
  listReportSummaries,
  REPORT_FORMATS,
  type ReportDeps,
  type ReportFormat,
  reportModel,
  type ReportSummary,
  renderReport,
  type RenderResult,
} from './operations.js';
export { loadReport, type Report, reportSchema, reportsDir } from './report-file.js';
export { listTemplates, loadTemplate, loadTemplateFile, parseTemplate, type ReportTemplate, type TemplateInfo, templateSchema, templatesDir } from './template.js';
export { renderMarkdown } from './render-md.js';
export { renderPdf } from './render-pdf.js';
export { renderDocx } from './render-docx.js';
