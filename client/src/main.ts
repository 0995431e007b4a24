import { mount } from 'svelte';
import App from './App.svelte';
import { initLanguage } from './i18n/i18n.svelte';
import './app.css';

initLanguage();
mount(App, { target: document.getElementById('app')! });
