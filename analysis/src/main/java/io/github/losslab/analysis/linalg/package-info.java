/**
 * Matrix-free linear algebra on symmetric operators, as curvature analysis needs it: the
 * {@link io.github.losslab.analysis.linalg.SymmetricOperator} abstraction, the Lanczos process with full
 * reorthogonalisation (Lanczos 1950; Paige 1972; Golub and Van Loan, <i>Matrix Computations</i>, 4th ed.,
 * section 10.1), and dense symmetric eigen-decompositions by EJML.
 */
package io.github.losslab.analysis.linalg;
