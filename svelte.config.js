import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Decided once here rather than at each place: an activity's components are keyed by its id where they are
    // used (ActivityStage), and a workshop's by its connection, so reading an id prop once at set-up is right.
    warningFilter: (warning) => warning.code !== 'state_referenced_locally',
  },
};
