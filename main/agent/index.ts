/**
 * The agent's public surface for the API layer and the CLI.
 */
export { answerQuestion, AGENT_DEFAULTS, type AnswerOptions } from './agent.js';
export { streamAnswer, toSse } from './stream.js';
export { Conversation, type ConversationJSON, type ConversationTurn } from './conversation.js';
export { checkAnswer, checkSupport, CHECK_DEFAULTS, type CheckOptions, type ProposedSentence } from './citation-check.js';
export { depsFromStore, type PassageStore } from './deps.js';
export type { AgentDeps, SourceSummary, TrackQuery } from './tools.js';
export { ModelFailure, type FailureReason } from './errors.js';
export { smokeTest, type SmokeResult } from './smoke.js';
export { listProviders, getProvider, resolveProvider, registerProviderKind, disposeProviders, providerKinds, type ProviderListing } from './providers/registry.js';
export type { ProviderEntry, ProviderKind, ProviderEnv } from './providers/kind.js';
export { ExtractiveProvider } from './providers/extractive.js';
export { LangChainProvider } from './providers/langchain.js';
export { LlamaCppProvider } from './providers/llama-cpp.js';
export { OpenAiProvider } from './providers/openai.js';
export { OllamaProvider } from './providers/ollama.js';
export type * from './types.js';
