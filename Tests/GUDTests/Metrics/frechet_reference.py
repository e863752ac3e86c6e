"""Expected value for FrechetDistanceTests.matchesClosedFormForTwoGaussians (non-commuting case)."""
import numpy as np
from scipy.linalg import sqrtm

c1 = np.array([[2, 0.5], [0.5, 1]])
c2 = np.array([[1, -0.3], [-0.3, 3]])
mu1, mu2 = np.zeros(2), np.array([1.0, 2.0])
d2 = np.sum((mu1 - mu2) ** 2) + np.trace(c1 + c2 - 2 * sqrtm(c1 @ c2).real)
print(f"{d2:.10f}")
