// GOV.UK Frontend components; loaded as a module from the app itself (no inline script, no CDN).
import { initAll } from '../govuk/govuk-frontend.min.js'

document.body.classList.add('govuk-frontend-supported')
initAll()
