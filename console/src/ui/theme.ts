import { createStore } from '../lib/store.js';

export type ThemeChoice = 'auto' | 'light' | 'dark';
const STORAGE_KEY = 'rg.console.theme';
const media = matchMedia('(prefers-color-scheme: dark)');

function stored(): ThemeChoice {
  const value = localStorage.getItem(STORAGE_KEY);
  return value === 'light' || value === 'dark' ? value : 'auto';
}

/** The theme in effect: the user's choice, else the system's. */
export const theme = createStore<'light' | 'dark'>('light');
export const themeChoice = createStore<ThemeChoice>(stored());

function apply(): void {
  const choice = themeChoice.get();
  const effective = choice === 'auto' ? (media.matches ? 'dark' : 'light') : choice;
  document.documentElement.dataset.theme = effective;
  theme.set(effective);
}

export function chooseTheme(choice: ThemeChoice): void {
  if (choice === 'auto') localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, choice);
  themeChoice.set(choice);
  apply();
}

media.addEventListener('change', apply);
apply();
