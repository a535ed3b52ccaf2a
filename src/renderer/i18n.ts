/**
 * The window's language: its words come from the catalogue in src/shared/i18n, which the tray,
 * the notifications and the CLI share.
 */
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { MESSAGES, type Catalogue } from '../shared/i18n';
import type { Language } from '../shared/settings';

const LanguageContext = createContext<Language>('zh-CN');

export function LanguageProvider({ language, children }: { language: Language; children?: ReactNode }) {
  return createElement(LanguageContext.Provider, { value: language }, children);
}

export function useT(): Catalogue {
  return MESSAGES[useContext(LanguageContext)];
}
