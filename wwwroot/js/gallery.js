// Sample gallery on the run page: the slider shows the samples of one evaluated step at a time.
import { formatStep, setText } from './format.js';

const gallery = document.getElementById('sample-gallery');
if (gallery) {
  const slider = gallery.querySelector('#gallery-step');
  const label = gallery.querySelector('[data-role="gallery-step-label"]');
  const groups = [...gallery.querySelectorAll('.gallery-step')];
  const show = (index) => {
    for (const group of groups) group.hidden = Number(group.dataset.index) !== index;
    const shown = groups.find((g) => Number(g.dataset.index) === index);
    if (shown) setText(label, `step ${formatStep(shown.dataset.step === '' ? null : Number(shown.dataset.step))}`);
  };
  if (slider) slider.addEventListener('input', () => show(Number(slider.value)));
  gallery.dataset.ready = 'true';
}
