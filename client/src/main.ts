import { mount } from 'svelte';
import App from './App.svelte';
import { initLanguage, screenLanguageScope } from './i18n/i18n.svelte';
import { router } from './lib/router.svelte';
import './app.css';

// The person's language first (its catalogue may be a separate chunk), so the first paint is already in it.
// A projector opens on its own route and stays there: it takes the workshop's language (see i18n).
const route = router.route;
void initLanguage(route.name === 'screen' ? screenLanguageScope(route.joinCode) : undefined).then(() =>
  mount(App, { target: document.getElementById('app')! }),
);
