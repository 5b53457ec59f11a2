"""Training utilities shared by the chapters that fit Keras models."""

from __future__ import annotations

from collections.abc import Callable

import keras

from helpers.checks import check_int


def compile_classifier(model: keras.Model, lr: float = 0.01, clipnorm: float | None = 1.0) -> keras.Model:
    """Compile a softmax classifier as the book's recall networks are, and return it.

    Adam at learning rate ``lr`` with each gradient's norm clipped at ``clipnorm`` (None: no clipping), sparse
    categorical cross-entropy, and accuracy as the metric.
    """
    if not lr > 0:
        raise ValueError(f"lr must be > 0; got {lr!r}")
    if clipnorm is not None and not clipnorm > 0:
        raise ValueError(f"clipnorm must be > 0, or None for no clipping; got {clipnorm!r}")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=lr, clipnorm=clipnorm),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


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
        self.every, self.digits = check_int("every", every), check_int("digits", digits, 0)

    def on_epoch_end(self, epoch, logs=None):
        last = self.params.get("epochs", epoch + 1)
        if epoch == 0 or (epoch + 1) % self.every == 0 or epoch + 1 == last:
            metrics = "  ".join(f"{k} {v:.{self.digits}f}" for k, v in (logs or {}).items())
            print(f"epoch {epoch + 1:>3}/{last}  {metrics}")


class StopAtAccuracy(keras.callbacks.Callback):
    """Stop training at the end of the first epoch whose validation accuracy reaches ``target``.

    Use with ``model.fit(..., validation_data=..., callbacks=[StopAtAccuracy(0.99)])`` and a model
    compiled with ``metrics=["accuracy"]``; a fit without ``val_accuracy`` in its logs is a ValueError (it
    would never stop). For another measure of accuracy, give ``score``: a function of the model, called after
    each epoch (e.g. the share of held-out sums within a tolerance, ``helpers.adding_problem``).
    """

    def __init__(self, target: float, score: Callable[[keras.Model], float] | None = None):
        super().__init__()
        if not 0 < target <= 1:
            raise ValueError(f"target must be in (0, 1]; got {target!r}")
        self.target, self.score = target, score

    def on_epoch_end(self, epoch, logs=None):
        if self.score is not None:
            accuracy = self.score(self.model)
        else:
            logs = logs or {}
            if "val_accuracy" not in logs:
                raise ValueError(
                    "StopAtAccuracy needs 'val_accuracy' in the epoch's logs (fit with validation_data, compile "
                    f"with metrics=['accuracy']) or a score function; the logs hold {sorted(logs)}"
                )
            accuracy = logs["val_accuracy"]
        if accuracy >= self.target:
            self.model.stop_training = True
