/**
 * The Hessian of a model's loss with respect to its parameters, reached through Hessian-vector products
 * (Pearlmutter, "Fast exact multiplication by the Hessian", Neural Computation 6, 1994) of the api's
 * {@link io.github.losslab.api.Model}: the {@link io.github.losslab.analysis.hessian.HessianOperator} over a batch
 * or a whole dataset, the dense {@link io.github.losslab.analysis.hessian.FullHessian} and its eigenvalues for
 * small models, and for models of any size the extreme eigenvalues by Lanczos
 * ({@link io.github.losslab.analysis.hessian.LanczosEigensolver}), the trace by Hutchinson's estimator
 * ({@link io.github.losslab.analysis.hessian.HutchinsonTrace}) and the eigenvalue density by stochastic Lanczos
 * quadrature ({@link io.github.losslab.analysis.hessian.SpectralDensity}; Ghorbani, Krishnan and Xiao 2019), as
 * PyHessian (Yao et al. 2020) and pytorch-hessian-eigenthings (Golmant et al. 2018) do in Python. Beyond them:
 * the Hessian of one block of parameters, a layer or any named segments
 * ({@link io.github.losslab.analysis.hessian.ParameterBlock},
 * {@link io.github.losslab.analysis.hessian.BlockHessian}: the block's rows and columns of the exact Hessian, on
 * which every method above runs unchanged), and curvature during training
 * ({@link io.github.losslab.analysis.hessian.CurvatureTracker}: the largest eigenvalue, warm-started from the last
 * top eigenvector, and the trace every k steps). Results are
 * immutable and record how their Hessian-vector products were computed
 * ({@link io.github.losslab.api.CurvatureMethod}).
 */
package io.github.losslab.analysis.hessian;
