"""NumPy forward passes of the SimpleRNN, LSTM and GRU cells, in Keras' weight layout.

Every function takes ``x`` of shape ``(batch, time, features)`` and the weights exactly as
``layer.get_weights()`` returns them, and gives back the hidden state at every step,
``(batch, time, units)`` -- what the Keras layer returns with ``return_sequences=True``.

Keras stores the weights of all gates side by side: the LSTM ``kernel`` is ``(features, 4 * units)``
with the gates in the order input ``i``, forget ``f``, candidate ``c``, output ``o``; the GRU
``kernel`` is ``(features, 3 * units)`` in the order update ``z``, reset ``r``, candidate ``h``.
"""

from __future__ import annotations

import numpy as np

from helpers.checks import check_int, check_positive_ints

__all__ = [
    "sigmoid",
    "check_weights",
    "lstm_step",
    "simple_rnn_forward",
    "lstm_forward",
    "gru_forward",
    "simple_rnn_params",
    "lstm_params",
    "gru_params",
    "run_conveyor_belt",
    "OUTPUT_SCHEDULES",
    "gate_schedule",
]

# The recurrent layers Keras provides and this book compares, by their Keras class names.
KERAS_CELLS = ("SimpleRNN", "GRU", "LSTM")


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Squash values into (0, 1) with the logistic function."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def _check_shape(name: str, array: np.ndarray, expected: tuple[int, ...], meaning: str) -> None:
    if array.shape != expected:
        raise ValueError(f"{name} must have shape {meaning} = {expected}; got {array.shape}")


def check_weights(
    x: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray, gates: int, bias_rows: int = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Convert the arguments to float arrays, check their shapes against each other, and return them with units."""
    x, kernel = np.asarray(x, dtype=float), np.asarray(kernel, dtype=float)
    recurrent_kernel, bias = np.asarray(recurrent_kernel, dtype=float), np.asarray(bias, dtype=float)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (batch, time, features), 3 dimensions; got shape {x.shape}")
    if recurrent_kernel.ndim != 2:
        raise ValueError(f"recurrent_kernel must have shape (units, {gates} * units); got {recurrent_kernel.shape}")
    units, features = recurrent_kernel.shape[0], x.shape[2]
    g = f"{gates} * units" if gates > 1 else "units"
    _check_shape("recurrent_kernel", recurrent_kernel, (units, gates * units), f"(units, {g})")
    _check_shape("kernel", kernel, (features, gates * units), f"(features, {g})")
    if bias_rows == 1:
        _check_shape("bias", bias, (gates * units,), f"({g},)")
    else:
        _check_shape("bias", bias, (bias_rows, gates * units), f"({bias_rows}, {g})")
    return x, kernel, recurrent_kernel, bias, units


# The four functions below are written on the page of the chapter that teaches them and exported here
# (`#@save` cells; python -m booktools sync).


# >>> exported from notebooks/03_rnn_vs_lstm.ipynb by `python -m booktools sync`: edit the page, not these lines
def simple_rnn_forward(x, kernel, recurrent_kernel, bias):
    """Run a SimpleRNN layer over every step: h_t = tanh(x_t W + h_{t-1} U + b).

    x is (batch, time, features); kernel W (features, units), recurrent_kernel
    U (units, units) and bias b (units,), as Keras' get_weights() returns them.
    Returns the hidden states, (batch, time, units).
    """
    x, kernel, recurrent_kernel, bias, units = check_weights(
        x, kernel, recurrent_kernel, bias, gates=1
    )
    h = np.zeros((x.shape[0], units))
    states = [np.zeros((x.shape[0], 0, units))]
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent_kernel + bias)
        states.append(h[:, None])
    return np.concatenate(states, axis=1)


def lstm_step(x_t, h, c, kernel, recurrent_kernel, bias):
    """Advance an LSTM by one step; return the new hidden and cell states.

    x_t is (..., features), h and c are (..., units); the weights are in
    Keras' layout, the gates i, f, c, o side by side. No shape checks.
    """
    z = x_t @ kernel + h @ recurrent_kernel + bias
    i, f, g, o = np.split(z, 4, axis=-1)
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    h = sigmoid(o) * np.tanh(c)
    return h, c


def lstm_forward(x, kernel, recurrent_kernel, bias, return_cell_states=False):
    """Run an LSTM layer over every step (gates i, f, c, o, in Keras' order).

    x is (batch, time, features); kernel (features, 4 * units), recurrent_kernel
    (units, 4 * units), bias (4 * units,). Returns the hidden states
    (batch, time, units), or the pair (h, c) with return_cell_states=True.
    """
    x, kernel, recurrent_kernel, bias, units = check_weights(
        x, kernel, recurrent_kernel, bias, gates=4
    )
    h = np.zeros((x.shape[0], units))
    c = np.zeros((x.shape[0], units))
    hs = [np.zeros((x.shape[0], 0, units))]
    cs = [np.zeros((x.shape[0], 0, units))]
    for t in range(x.shape[1]):
        h, c = lstm_step(x[:, t], h, c, kernel, recurrent_kernel, bias)
        hs.append(h[:, None])
        cs.append(c[:, None])
    hs, cs = np.concatenate(hs, axis=1), np.concatenate(cs, axis=1)
    return (hs, cs) if return_cell_states else hs


def gru_forward(x, kernel, recurrent_kernel, bias, reset_after=True):
    """Run a GRU layer over every step (parts z, r, h, as Keras orders them).

    x is (batch, time, features); kernel (features, 3 * units), recurrent_kernel
    (units, 3 * units); bias (2, 3 * units) with reset_after=True (Keras'
    default: a row of input biases, a row of recurrent biases), or
    (3 * units,) with reset_after=False. Returns the hidden states.
    """
    if not isinstance(reset_after, bool):
        raise ValueError(f"reset_after must be True/False, not {reset_after}")
    rows = 2 if reset_after else 1
    x, kernel, recurrent_kernel, bias, units = check_weights(
        x, kernel, recurrent_kernel, bias, gates=3, bias_rows=rows
    )
    if reset_after:
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        input_bias, recurrent_bias = bias, np.zeros_like(bias)
    uz, ur, uh = np.split(recurrent_kernel, 3, axis=1)
    bz, br, bh = np.split(recurrent_bias, 3)
    h = np.zeros((x.shape[0], units))
    states = [np.zeros((x.shape[0], 0, units))]
    for t in range(x.shape[1]):
        xz, xr, xh = np.split(x[:, t] @ kernel + input_bias, 3, axis=1)
        z = sigmoid(xz + h @ uz + bz)
        r = sigmoid(xr + h @ ur + br)
        if reset_after:
            candidate = np.tanh(xh + r * (h @ uh + bh))
        else:
            candidate = np.tanh(xh + (r * h) @ uh)
        h = z * h + (1.0 - z) * candidate
        states.append(h[:, None])
    return np.concatenate(states, axis=1)
# <<< end of the code exported from notebooks/03_rnn_vs_lstm.ipynb


def simple_rnn_params(units: int, features: int) -> int:
    """Count the weights of a SimpleRNN layer: units * (units + features) + units."""
    check_positive_ints(units=units, features=features)
    return units * (units + features) + units


def lstm_params(units: int, features: int) -> int:
    """Count the weights of an LSTM layer: 4 * (units * (units + features) + units)."""
    check_positive_ints(units=units, features=features)
    return 4 * (units * (units + features) + units)


def gru_params(units: int, features: int, reset_after: bool = True) -> int:
    """Count the weights of a GRU layer: 3 * (units * (units + features) + 2 * units) by default."""
    check_positive_ints(units=units, features=features)
    return 3 * (units * (units + features) + (2 if reset_after else 1) * units)


def run_conveyor_belt(
    forget: np.ndarray,
    input_gate: np.ndarray,
    output: np.ndarray,
    candidate: np.ndarray,
    c0: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Run one LSTM unit's cell state under a given gate schedule; return (C, h) per step.

    C_t = f_t * C_{t-1} + i_t * candidate_t and h_t = o_t * tanh(C_t): the gates are given, not learned.
    All four schedules are 1-D arrays of the same length; gate values must lie in [0, 1].
    """
    arrays = [np.asarray(a, dtype=float) for a in (forget, input_gate, output, candidate)]
    names = ("forget", "input_gate", "output", "candidate")
    steps = arrays[0].shape
    for name, a in zip(names, arrays, strict=True):
        if a.ndim != 1 or a.shape != steps:
            raise ValueError(f"{name} must be a 1-D array of shape {steps} like forget; got shape {a.shape}")
    for name, a in zip(names[:3], arrays[:3], strict=True):
        if a.size and (a.min() < 0 or a.max() > 1):
            raise ValueError(f"{name} gate values must lie in [0, 1]; got values in [{a.min()}, {a.max()}]")
    f, i, o, g = arrays
    c, cs = float(c0), np.empty_like(f)
    for t in range(f.size):
        c = f[t] * c + i[t] * g[t]
        cs[t] = c
    return cs, o * np.tanh(cs)


OUTPUT_SCHEDULES: tuple[str, ...] = ("always open", "opens at the end")


def gate_schedule(
    steps: int = 60, forget: float = 1.0, input_gate: float = 0.0, output: str = "always open", seed: int = 0
) -> dict[str, np.ndarray]:
    """Make a gate schedule that writes 1.0 at step 1, then holds the given gate values.

    At step 1 the input gate is 1 and the candidate is 1.0; from step 2 on the forget and input gates are
    constant and the candidates are random in [-1, 1] (seeded). ``output`` is one of ``OUTPUT_SCHEDULES``:
    the output gate is 1 throughout, or 0 until it opens at the last step.
    Returns a dict with the arrays ``forget``, ``input_gate``, ``output`` and ``candidate``, each (steps,).
    """
    check_int("steps", steps)
    for name, value in (("forget", forget), ("input_gate", input_gate)):
        if not 0.0 <= float(value) <= 1.0:
            raise ValueError(f"{name} must lie in [0, 1]; got {value}")
    if output not in OUTPUT_SCHEDULES:
        raise ValueError(f"output must be one of {OUTPUT_SCHEDULES}; got {output!r}")
    candidate = np.random.default_rng(seed).uniform(-1.0, 1.0, size=steps)
    candidate[0] = 1.0
    input_values = np.full(steps, float(input_gate))
    input_values[0] = 1.0
    out = np.ones(steps) if output == "always open" else np.zeros(steps)
    out[-1] = 1.0
    return {"forget": np.full(steps, float(forget)), "input_gate": input_values, "output": out, "candidate": candidate}
