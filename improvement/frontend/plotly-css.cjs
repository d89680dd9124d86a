// Prints plotly.js's own stylesheet. At load, plotly-basic.min.js injects these rules as an inline
// <style>, which a Content-Security-Policy without 'unsafe-inline' blocks. Served as a file instead,
//   <link rel="stylesheet" id="plotly.js-style-global" class="no-inline-styles" href=".../plotly.css">
// placed before the script, plotly finds that element and injects nothing.
// Usage: node plotly-css.cjs node_modules/plotly.js-basic-dist-min/plotly-basic.min.js > plotly.css
'use strict'
const fs = require('fs')
const vm = require('vm')

const source = fs.readFileSync(process.argv[2], 'utf8')
// The rules are one object literal whose first key is "X,X div" (X and Y stand for selectors).
const key = '"X,X div":'
const at = source.indexOf(key)
if (at < 0 || source.indexOf(key, at + 1) >= 0) {
  throw new Error('plotly.js CSS rules not found exactly once: check plotly-css.cjs against this plotly.js')
}
const start = source.lastIndexOf('{', at)
let depth = 0
let end = -1
let quote = null
for (let i = start; i < source.length; i++) {
  const c = source[i]
  if (quote) {
    if (c === '\\') i++
    else if (c === quote) quote = null
  } else if (c === '"' || c === "'" || c === '`') {
    quote = c
  } else if (c === '{') {
    depth++
  } else if (c === '}' && --depth === 0) {
    end = i
    break
  }
}
const rules = vm.runInNewContext('(' + source.slice(start, end + 1) + ')')
if (Object.keys(rules).length < 20) throw new Error('plotly.js CSS rules look incomplete')
const version = (source.match(/plotly\.js \(basic - minified\) (v[\d.]+)/) || [])[1] || ''
let css = '/* plotly.js ' + version + ' global styles, extracted by improvement/frontend/plotly-css.cjs */\n'
for (const selector in rules) {
  // The same substitutions plotly.js makes before injecting each rule.
  const full = selector.replace(/^,/, ' ,').replace(/X/g, '.js-plotly-plot .plotly').replace(/Y/g, '.plotly-notifier')
  css += full + '{' + rules[selector] + '}\n'
}
process.stdout.write(css)
