"""Writes the .npy fixtures read by Tests/GUDTests/IO/NPYFileTests.swift (run with numpy ≥ 1.20)."""
import numpy as np

a = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 8 - 1
np.save("f4_c.npy", a)
np.save("f8_fortran.npy", np.asfortranarray(a.astype(np.float64)))
np.save("u1.npy", (np.arange(12, dtype=np.uint8) * 20).reshape(3, 4))
np.save("f8_big_endian.npy", a.astype(">f8"))
np.lib.format.write_array(open("f4_v2.npy", "wb"), a, version=(2, 0))
np.save("i8_unsupported.npy", np.arange(3, dtype=np.int64))
