package io.github.losslab.analysis.hessian;

import io.github.losslab.analysis.linalg.SymmetricOperator;
import io.github.losslab.analysis.linalg.Vectors;
import io.github.losslab.api.CurvatureMethod;
import io.github.losslab.api.Precision;

import java.util.Objects;

/**
 * The Hessian restricted to one {@link ParameterBlock}: {@code H_bb = P_b H P_b^T}, the block's rows and columns of
 * the whole Hessian, as a symmetric operator of the block's size. A product embeds the block vector into a
 * whole-size vector with zeros elsewhere, multiplies by the whole operator (one exact Hessian-vector product, not a
 * finite difference of block gradients) and keeps the block's rows. {@link LanczosEigensolver},
 * {@link HutchinsonTrace}, {@link SpectralDensity} and {@link FullHessian} run on it unchanged, which gives the
 * per-layer spectra that PyHessian and pytorch-hessian-eigenthings users ask for, at the cost of one whole product
 * per block product.
 *
 * <p>By Cauchy's interlacing theorem the eigenvalues of a diagonal block lie within the whole Hessian's range, and
 * the traces of the blocks of a partition add up to the whole trace.
 */
public final class BlockHessian implements SymmetricOperator {

    private final SymmetricOperator whole;
    private final ParameterBlock block;

    private BlockHessian(SymmetricOperator whole, ParameterBlock block) {
        this.whole = Objects.requireNonNull(whole, "whole");
        this.block = Objects.requireNonNull(block, "block");
        if (block.dimension() != whole.dimension()) {
            throw new IllegalArgumentException("block '" + block.name() + "' is taken from " + block.dimension()
                    + " parameters, but the operator has dimension " + whole.dimension());
        }
    }

    /** The restriction of {@code whole} to {@code block}. */
    public static BlockHessian of(SymmetricOperator whole, ParameterBlock block) {
        return new BlockHessian(whole, block);
    }

    public ParameterBlock block() {
        return block;
    }

    @Override
    public int dimension() {
        return block.size();
    }

    @Override
    public double[] apply(double[] v) {
        return applyAll(new double[][] {v})[0];
    }

    @Override
    public double[][] applyAll(double[][] vs) {
        double[][] embedded = new double[vs.length][];
        for (int i = 0; i < vs.length; i++) {
            Vectors.checkLength(vs[i], block.size());
            embedded[i] = block.embed(vs[i]);
        }
        double[][] products = whole.applyAll(embedded);
        double[][] out = new double[vs.length][];
        for (int i = 0; i < vs.length; i++) {
            out[i] = block.extract(products[i]);
        }
        return out;
    }

    @Override
    public CurvatureMethod curvatureMethod() {
        return whole.curvatureMethod();
    }

    @Override
    public Precision precision() {
        return whole.precision();
    }

    @Override
    public String toString() {
        return "BlockHessian[" + block.name() + ", " + block.size() + " of " + block.dimension() + " parameters]";
    }
}
