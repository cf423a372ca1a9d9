import type { PageText } from '../../main/core/types.js';

export type DocumentFormat = 'pdf' | 'docx' | 'html' | 'markdown' | 'text' | 'email';

export interface Attachment {
  filename: string;
  bytes: Uint8Array;
}

/** What a document reader returns: text per page, ready for chunking. */
export interface ExtractedDocument {
  format: DocumentFormat;
  mime: string;
  title: string;
  /**
   * Text per page. Page text is normalised once here (NFKC, CRLF -> LF, NUL and
   * bidi controls removed) and every offset downstream points into it.
   */
  pages: PageText[];
  metadata: Record<string, unknown>;
  /** E-mail attachments; each is ingested as its own source linked to the message. */
  attachments: Attachment[];
}

export interface ReadOptions {
  /** File name as given by the user; used for the title fallback, never for type detection. */
  filename: string;
  /** PDF user password, when the analyst has one. */
  password?: string;
  /** Largest input accepted, in bytes; default DEFAULT_MAX_BYTES (200 MB). */
  maxBytes?: number;
}
