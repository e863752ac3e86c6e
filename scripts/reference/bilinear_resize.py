"""Reference values for GUDNN's bilinear x2 upsampling (Tests/GUDNNTests/ResizeReferenceTests.swift).

Re-implements the semantics of jax.image.resize(method="bilinear") with numpy: for each axis, a weight
matrix from the triangle kernel at half-pixel sample positions, (o + 0.5) / scale - 0.5, normalised over
the in-range input pixels, and samples outside [-0.5, n - 0.5] zeroed. Cross-checks it against
scipy.ndimage.zoom(order=1, mode="nearest", grid_mode=True), which implements the same half-pixel linear
interpolation with edge clamping, and prints the input and the expected output.
"""
import numpy as np
from scipy import ndimage


def weight_matrix(n_in, n_out):
    scale = n_out / n_in
    sample = (np.arange(n_out) + 0.5) / scale - 0.5
    x = np.abs(sample[None, :] - np.arange(n_in)[:, None])
    w = np.maximum(0.0, 1.0 - x)
    total = w.sum(axis=0, keepdims=True)
    w = np.where(np.abs(total) > 1000 * np.finfo(np.float32).eps, w / np.where(total != 0, total, 1), 0)
    inside = (sample >= -0.5) & (sample <= n_in - 0.5)
    return np.where(inside[None, :], w, 0)


def resize(image, h_out, w_out):
    wh = weight_matrix(image.shape[0], h_out)
    ww = weight_matrix(image.shape[1], w_out)
    return wh.T @ image @ ww


image = np.array([[1.0, -2.0, 3.5, 0.25], [4.0, 0.5, -1.0, 2.0], [-3.0, 1.5, 2.5, -0.75]])
out = resize(image, 6, 8)
scipy_out = ndimage.zoom(image, 2, order=1, mode="nearest", grid_mode=True)
assert np.allclose(out, scipy_out, atol=1e-12), (out, scipy_out)
np.set_printoptions(precision=17, suppress=True, linewidth=200)
print("input", image.tolist())
print("expected", out.tolist())
