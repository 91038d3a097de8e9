// Start GOV.UK Frontend's JavaScript.
//
// Loaded with <script type="module">, so it runs only in browsers GOV.UK Frontend
// supports, after the document is parsed. GOV.UK's page template does the class
// change below in an inline script; ours is here because the Content-Security-Policy
// forbids inline scripts. Without JavaScript every page still works: for example the
// service navigation shows all its links instead of a "Menu" button.
import { initAll } from './govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();
