"""scikit-learn's multinomial logistic regression fit (lbfgs), with the dense columns
multiplied as a dense block.

``LogisticRegression(solver="lbfgs").fit`` on one sparse matrix multiplies every stored
value through scipy's sparse kernels, and our sentence embeddings are 384 stored values
in every row: four fifths of the matrix, and most of the training's time. Here the same
loss and gradient (scikit-learn's own ``LinearModelLoss``), the same class weights,
starting point and L-BFGS-B options go to the same scipy minimizer as in
scikit-learn 1.1's ``_logistic_regression_path``; only ``X @ W`` and ``G @ X`` are
computed as a sparse part plus a dense part (BLAS). Rasa 3.6 pins scikit-learn < 1.2.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize
from scipy.sparse import csr_matrix
from sklearn._loss.loss import HalfMultinomialLoss
from sklearn.linear_model import LogisticRegression
from sklearn.linear_model._linear_loss import LinearModelLoss
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.class_weight import compute_class_weight


class SparseBesideDense:
    """[sparse | dense] for the products scikit-learn's loss takes: ``X @ W``, ``G @ X``."""

    __array_ufunc__ = None  # so that numpy hands ``G @ X`` to __rmatmul__

    def __init__(self, sparse: csr_matrix, dense: np.ndarray) -> None:
        self.sparse, self.dense = sparse, dense
        self.split = sparse.shape[1]
        self.shape = (sparse.shape[0], sparse.shape[1] + dense.shape[1])

    def __matmul__(self, weights: np.ndarray) -> np.ndarray:
        return self.sparse @ weights[: self.split] + self.dense @ weights[self.split :]

    def __rmatmul__(self, gradient: np.ndarray) -> np.ndarray:
        return np.hstack([(self.sparse.T @ gradient.T).T, gradient @ self.dense])


def fit(classifier: LogisticRegression, sparse: csr_matrix, dense: np.ndarray, y: list) -> None:
    """Fit ``classifier`` (multinomial, lbfgs, balanced class weights, an intercept) on
    [sparse | dense] as its own ``fit`` would on the stacked matrix."""
    encoder = LabelEncoder()
    target = encoder.fit_transform(y).astype(np.float64)
    classes = encoder.classes_
    weights = compute_class_weight("balanced", classes=classes, y=y)[target.astype(int)]
    X = SparseBesideDense(sparse, dense)
    loss = LinearModelLoss(
        base_loss=HalfMultinomialLoss(n_classes=classes.size), fit_intercept=True
    )
    start = np.zeros((classes.size, X.shape[1] + 1), order="F").ravel(order="F")
    result = optimize.minimize(
        loss.loss_gradient,
        start,
        method="L-BFGS-B",
        jac=True,
        args=(X, target, weights, 1.0 / classifier.C, 1),
        options={"iprint": -1, "gtol": classifier.tol, "maxiter": classifier.max_iter},
    )
    coefficients = result.x.reshape((classes.size, -1), order="F")
    classifier.classes_ = classes
    classifier.coef_ = coefficients[:, :-1]
    classifier.intercept_ = coefficients[:, -1]
    classifier.n_iter_ = np.array([result.nit], dtype=np.int32)
    classifier.n_features_in_ = X.shape[1]
