#!/usr/bin/python3
"""Hostile pickles for retail-ml's safe unpickler. Nothing here is ever loaded by Python:
each file is written by pickle.dump of an object whose __reduce__ *names* a dangerous
call, or assembled opcode by opcode.

    /usr/bin/python3 models/pickle/hostile.py

Writes models/pickle/hostile/<name>.pkl and manifest.json: per file, what retail-ml must
answer (the error class and a fragment of the message, e.g. the refused global).
"""
import json
import os
import pickle
import struct
import subprocess
import zlib

import numpy as np
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "hostile")
os.makedirs(OUT, exist_ok=True)
CANARY = "/tmp/retail-ml-pickle-canary"
cases = []


def write(name, data, error, fragment, note, options=None):
    with open(os.path.join(OUT, name), "wb") as fh:
        fh.write(data)
    cases.append({"file": name, "error": error, "fragment": fragment, "note": note, "options": options or {}})


class Reduce:
    """Pickles as a call to `fn(*args)`; pickling only records the names."""

    def __init__(self, fn, args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return (self.fn, self.args)


for proto in (0, 2, 4):
    write(f"os_system.p{proto}.pkl", pickle.dumps(Reduce(os.system, (f"touch {CANARY}",)), protocol=proto),
          "UnsafePickleError", "posix.system", "os.system via __reduce__")
write("eval.pkl", pickle.dumps(Reduce(eval, (f"__import__('os').system('touch {CANARY}')",)), protocol=4),
      "UnsafePickleError", "builtins.eval", "builtins.eval via __reduce__")
write("subprocess.pkl", pickle.dumps(Reduce(subprocess.check_output, (["touch", CANARY],)), protocol=4),
      "UnsafePickleError", "subprocess.check_output", "subprocess.* via __reduce__")
# Python 2 spelling, protocol 0 by hand: getattr(__import__('os'), 'system')
write("builtin_getattr.p0.pkl", b"c__builtin__\ngetattr\n(c__builtin__\n__import__\n(S'os'\ntRS'system'\ntR(S'touch " + CANARY.encode() + b"'\ntR.",
      "UnsafePickleError", "__builtin__.getattr", "__builtin__.getattr by hand (protocol 0)")
write("unknown_class.pkl", pickle.dumps(Reduce(np.polynomial.Polynomial, ([1, 2],)), protocol=4),
      "UnsafePickleError", "numpy.polynomial.polynomial.Polynomial", "a harmless class that is simply not on the list")

X = np.random.default_rng(0).normal(size=(20, 3)).astype(np.float32)
clf = xgb.XGBClassifier(n_estimators=2, max_depth=2, nthread=1).fit(X, (X[:, 0] > 0).astype(int))
write("nested_in_dict.pkl", pickle.dumps({"model": clf, "hook": Reduce(os.system, (f"touch {CANARY}",))}, protocol=4),
      "UnsafePickleError", "posix.system", "os.system next to a real model inside a dict")
write("inside_model_state.pkl", pickle.dumps(Reduce(xgb.XGBClassifier, ()), protocol=2)[:-1] +
      pickle.dumps(Reduce(os.system, (f"touch {CANARY}",)), protocol=2)[2:-1] + b"b.",
      "UnsafePickleError", "posix.system", "os.system as the BUILD state of an allow-listed class")

# BUILD on allow-listed classes with state they never have.
write("build_list_state.pkl", b"\x80\x04\x8c\x0fxgboost.sklearn\x8c\x0dXGBClassifier\x93)\x81]\x8c\x06rm -rfab.",
      "ModelFormatError", "state must be a dict", "XGBClassifier BUILD with a list")
write("build_booster_handle_str.pkl", b"\x80\x04\x8c\x0cxgboost.core\x8c\x07Booster\x93)\x81}\x8c\x06handle\x8c\x03abcsb.",
      "ModelFormatError", "handle", "Booster BUILD with a string handle")
write("build_dtype_garbage.pkl", b"\x80\x04\x8c\x05numpy\x8c\x05dtype\x93\x8c\x02f8\x89\x88\x87R\x8c\x04evil\x85b.",
      "ModelFormatError", "state has 1 entries", "numpy.dtype BUILD with garbage")
write("build_ndarray_short.pkl", pickle.dumps(np.arange(4.0), protocol=4).replace(b"K\x04\x85", b"K\x05\x85", 1),
      "ModelFormatError", "bytes", "ndarray BUILD whose data is shorter than its shape")

# Lengths far beyond the file.
write("length_2_31.pkl", b"\x80\x04B\x00\x00\x00\x80", "ModelFormatError", "truncated", "BINBYTES declaring 2^31 bytes")
write("length_2_62.pkl", b"\x80\x04\x8d" + struct.pack("<Q", 1 << 62) + b"x.", "ModelFormatError", "exceeds", "BINUNICODE8 declaring 2^62 bytes")
write("frame_2_40.pkl", b"\x80\x04\x95" + struct.pack("<Q", 1 << 40) + b"N.", "ModelFormatError", "exceeds", "FRAME declaring 2^40 bytes")
write("ndarray_2_31_elements.pkl",
      b"\x80\x04\x8c\x15numpy.core.multiarray\x8c\x0c_reconstruct\x93\x8c\x05numpy\x8c\x07ndarray\x93K\x00\x85C\x01b\x87R"
      b"(K\x01J\xff\xff\xff\x7f\x85\x8c\x05numpy\x8c\x05dtype\x93\x8c\x02f8\x89\x88\x87R(K\x03\x8c\x01<NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb\x89C\x08\x00\x00\x00\x00\x00\x00\x00\x00tb.",
      "ModelFormatError", "exceed", "an ndarray claiming 2^31 - 1 float64 items with 8 bytes of data")
write("long4_huge.pkl", b"\x80\x04\x8b\x00\x00\x00\x40" + b"\x00" * 16 + b".", "ModelFormatError", "maxIntBytes", "LONG4 of 2^30 bytes")

# Deep nesting with a constant-size stack: each level is fetched back from one memo slot.
depth = 5_000
write("deep_nesting.pkl", b"\x80\x04]q\x00" + b"h\x00]q\x00a0" * depth + b".", "ModelFormatError", "maxDepth", f"{depth} nested lists through one memo slot")
write("deep_marks.pkl", b"\x80\x04" + b"(" * 20_000 + b"N.", "ModelFormatError", "STOP", "20,000 unclosed MARKs")
write("self_reference.pkl", b"\x80\x04]q\x00h\x00a.", "ModelFormatError", "contains itself", "a list that contains itself")

# Memo bomb: 3,000 memo slots far apart; refused under maxMemo 1,000 (the default limit is 1,000,000).
write("memo_bomb.pkl", b"\x80\x04N" + b"".join(b"r" + struct.pack("<I", i * 1_000_003 % (1 << 32)) for i in range(3_000)) + b".",
      "ModelFormatError", "maxMemo", "3,000 memo entries", {"maxMemo": 1_000})
write("get_unset.pkl", b"\x80\x04h\x07.", "ModelFormatError", "never set", "GET of a memo slot never set")
write("persid.pkl", b"\x80\x04N\x51.", "UnsafePickleError", "persistent", "BINPERSID")
write("ext1.pkl", b"\x80\x04\x82\x01.", "UnsafePickleError", "extension", "EXT1")
write("next_buffer.pkl", b"\x80\x05\x97.", "UnsafePickleError", "out-of-band", "NEXT_BUFFER (out-of-band)")
write("bad_opcode.pkl", b"\x80\x04\xff.", "ModelFormatError", "unknown opcode", "an opcode that does not exist")
write("empty.pkl", b"", "ModelFormatError", "truncated", "empty file")
# A joblib zlib bomb: 24 MB of zeros in ~24 KB; refused under maxBytes 4 MB.
write("zlib_bomb.joblib", zlib.compress(b"\x80\x04" + b"\x00" * 24_000_000, 9), "ModelFormatError", "maxBytes", "zlib expanding 1000x", {"maxBytes": 4_000_000})

with open(os.path.join(OUT, "manifest.json"), "w") as fh:
    json.dump({"canary": CANARY, "cases": cases}, fh, indent=1)
print(len(cases), "hostile files")
