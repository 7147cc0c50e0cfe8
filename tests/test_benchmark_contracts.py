"Contracts that benchmark scripts rely on (they are run by hand, so CI checks their assumptions here)."
import numpy as np

def test_fmc_placement_is_the_first_draw_of_its_random_stream():
    "benchmarks/tagger_ceiling.py re-creates FMC's placement (and a solid-painted version) from the builder's seed: render_fmc must draw the placement first."
    from fashion_reuse.data.fmc import load_fashion_mnist, sample_dir, place_garment, render_fmc, garment_rng
    x, y, origin = load_fashion_mnist(sample_dir())['t10k']
    moved = 0
    for i in range(0, 500, 50):
        rng = lambda: garment_rng(0, 't10k', origin[i])
        shipped = render_fmc(x[i], rng())
        mask = place_garment(x[i], rng())[1]
        assert (mask == shipped['mask']).all()
        solid = render_fmc(x[i], rng(), pattern='solid')
        assert (solid['mask'] == shipped['mask']).all() and solid['pattern'] == 'solid'
        # another seed places the garment elsewhere, so the mask comparison above is not vacuous
        moved += not (place_garment(x[i], garment_rng(1, 't10k', origin[i]))[1] == mask).all()
    assert moved >= 9
