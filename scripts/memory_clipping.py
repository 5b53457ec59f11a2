"""Log gradient and update norms of chapter 5's SimpleRNN at delay 60, with and without clipping.

For each seed, the SimpleRNN of helpers.recall.train_recall (delay 60, 3,000 sequences, Adam with learning
rate 0.01, batches of 128, 20 epochs, no early stopping) is trained twice: with clipnorm 1 and without
clipping. After every batch the script records the global norm of the gradient (before any clipping) and the
global norm of the change Adam made to the weights; after every epoch, the validation recall. Rows are
appended to data/memory_clipping.csv as each run ends; finished runs are skipped, so it resumes (``--minutes``
stops starting new runs; ``booktools.runner``). Run from the repository root, on one thread:

    TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 OMP_NUM_THREADS=1 \\
        nice -n 10 python scripts/memory_clipping.py

Columns: clipnorm (0 = none), seed, epoch, batch, grad_norm, update_norm, val_accuracy (the epoch's, on
its last batch only).
"""

from __future__ import annotations

import argparse
import os
import sys

from booktools.runner import Budget, minutes_argument, run_plan
from helpers.data import RESULTS  # no TensorFlow import here

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
SEEDS = [1, 2, 3, 4, 5]
CLIPNORMS = [0, 1.0]


def run(seed: int, clipnorm: float) -> list[dict]:
    """Train one network; return a row per batch. TensorFlow is imported here, after the arguments are read."""
    import keras
    import tensorflow as tf

    from helpers.recall import make_recall_data, make_recall_model

    class NormLogging(keras.Model):
        """Keras' own training step, plus the global norms of the gradient and of the weight update."""

        def train_step(self, data):
            x, y = data
            weights = self.trainable_weights
            before = [tf.identity(w) for w in weights]
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(x=x, y=y, y_pred=y_pred, training=True)
            grads = tape.gradient(loss, weights)
            self.optimizer.apply_gradients(zip(grads, weights, strict=True))
            update = tf.linalg.global_norm([w - b for w, b in zip(weights, before, strict=True)])
            logs = self.compute_metrics(x, y, y_pred)
            return {**logs, "grad_norm": tf.linalg.global_norm(grads), "update_norm": update}

    class Recorder(keras.callbacks.Callback):
        """Rows of the norms after every batch, with the validation recall on each epoch's last batch."""

        def __init__(self):
            super().__init__()
            self.rows, self.epoch = [], 0

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch + 1

        def on_train_batch_end(self, batch, logs=None):
            self.rows.append({"epoch": self.epoch, "batch": batch + 1, "grad_norm": float(logs["grad_norm"]),
                              "update_norm": float(logs["update_norm"]), "val_accuracy": ""})

        def on_epoch_end(self, epoch, logs=None):
            self.rows[-1]["val_accuracy"] = round(float(logs["val_accuracy"]), 4)

    x, y = make_recall_data(3000, 60, seed=seed)
    xv, yv = make_recall_data(1000, 60, seed=10_000 + seed)
    keras.utils.set_random_seed(seed)
    base = make_recall_model("SimpleRNN", 60, lr=0.01, clipnorm=clipnorm or None)
    net = NormLogging(inputs=base.inputs, outputs=base.outputs)
    net.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01, clipnorm=clipnorm or None),
                loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    recorder = Recorder()
    net.fit(x, y, batch_size=128, epochs=20, validation_data=(xv, yv), verbose=0, callbacks=[recorder])
    return [{"clipnorm": clipnorm, "seed": seed, **row} for row in recorder.rows]


def main(argv: list[str] | None = None) -> int:
    """Train the runs missing from data/memory_clipping.csv, appending each as it ends."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    minutes_argument(parser)
    args = parser.parse_args(argv)
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()
    budget = Budget(args.minutes)

    def work(planned: dict) -> list[dict]:
        rows = run(planned["seed"], planned["clipnorm"])
        for row in rows:
            row["grad_norm"], row["update_norm"] = f"{row['grad_norm']:.4g}", f"{row['update_norm']:.4g}"
        return rows

    def describe(planned: dict, rows: list[dict]) -> str:
        last = [r["val_accuracy"] for r in rows if r["val_accuracy"] != ""]
        return f"seed {planned['seed']} clipnorm {planned['clipnorm']}: val {last[-1]}"

    plan = [{"clipnorm": clipnorm, "seed": seed} for seed in SEEDS for clipnorm in CLIPNORMS]
    run_plan(plan, RESULTS["memory_clipping"], work, budget, describe)
    print(f"total time: {budget.seconds():.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
