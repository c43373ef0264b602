export { sendRecommendationEmail, type SendOptions } from './send.js';
export { createMailer, type Mailer, type MailerOptions, type EmailOutcome } from './mailer.js';
export { createMailerFromEnv, type MailerFromEnvOptions, type MailerKind } from './from-env.js';
export {
  buildRecommendationMessage,
  DEFAULT_EMAIL_TEMPLATES,
  type EmailCustomer,
  type EmailSender,
  type EmailTemplates,
  type RecommendationMessage,
} from './message.js';
export {
  createEmlOutboxTransport,
  createSmtpTransport,
  smtpSettingsFromEnv,
  loadNodemailer,
  DEFAULT_SENDER,
  type MailTransport,
  type SentInfo,
  type SmtpSettings,
} from './transport.js';
export { renderTemplate, escapeHtml, type TemplateContext } from './template.js';
export { isValidEmailAddress, headerIssues } from './validate.js';
