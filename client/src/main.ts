import { mount } from 'svelte';
import App from './App.svelte';
import { initLanguage } from './i18n/i18n.svelte';
import './app.css';

// The person's language first (its catalogue may be a separate chunk), so the first paint is already in it.
void initLanguage().then(() => mount(App, { target: document.getElementById('app')! }));
