// Not part of the recipe: client-side navigation as Turbo, htmx or pjax do it (fetch the next
// page, swap its <main> and <head> scripts in, push the URL), so that the test can check that
// elements arriving after the first load are drawn.
document.addEventListener('click', async (event) => {
  const link = event.target.closest('a[href]');
  if (!link || link.origin !== location.origin) return;
  event.preventDefault();
  const html = await (await fetch(link.href)).text();
  const next = new DOMParser().parseFromString(html, 'text/html');
  for (const script of next.head.querySelectorAll('script[type=module][src]')) {
    const src = new URL(script.getAttribute('src'), link.href).href;
    if (![...document.scripts].some((s) => s.src === src)) {
      const s = document.createElement('script');
      s.type = 'module';
      s.src = src;
      document.head.append(s);
    }
  }
  document.title = next.title;
  document.querySelector('main').replaceWith(next.querySelector('main'));
  history.pushState(null, '', link.href);
});
