"""Training utilities shared by the chapters that fit Keras models."""

from __future__ import annotations

import keras


class EpochLine(keras.callbacks.Callback):
    """Print one compact line per epoch instead of Keras' progress bars.

    Use with ``model.fit(..., verbose=0, callbacks=[EpochLine()])``. Metrics are
    rounded to ``digits`` so the printed text survives another CPU.

    Parameters
    ----------
    every : print every ``every``-th epoch (the first and the last are always printed).
    digits : decimals kept for each metric.
    """

    def __init__(self, every: int = 1, digits: int = 3):
        super().__init__()
        self.every, self.digits = every, digits

    def on_epoch_end(self, epoch, logs=None):
        last = self.params.get("epochs", epoch + 1)
        if epoch == 0 or (epoch + 1) % self.every == 0 or epoch + 1 == last:
            metrics = "  ".join(f"{k} {v:.{self.digits}f}" for k, v in (logs or {}).items())
            print(f"epoch {epoch + 1:>3}/{last}  {metrics}")


class StopAtAccuracy(keras.callbacks.Callback):
    """Stop training at the end of the first epoch whose validation accuracy reaches ``target``.

    Use with ``model.fit(..., validation_data=..., callbacks=[StopAtAccuracy(0.99)])`` and a model
    compiled with ``metrics=["accuracy"]``.
    """

    def __init__(self, target: float):
        super().__init__()
        if not 0 < target <= 1:
            raise ValueError(f"target must be in (0, 1]; got {target!r}")
        self.target = target

    def on_epoch_end(self, epoch, logs=None):
        if (logs or {}).get("val_accuracy", 0.0) >= self.target:
            self.model.stop_training = True
