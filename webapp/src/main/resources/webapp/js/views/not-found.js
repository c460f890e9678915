import { h, replace } from '../dom.js';

export default function notFound(outlet, ctx) {
  ctx.setTitle('Not found');
  replace(outlet, h('section', { class: 'section' },
    h('h1', {}, 'Page not found'),
    h('p', {}, 'There is nothing at this address. ', h('a', { href: '/' }, 'Go to the home page'), '.')));
}
