/**
 * The {@code spark} trial engine: the trials of a run as Apache Spark tasks, on a local master, a standalone
 * cluster, YARN or Kubernetes, and the tools to start a standalone cluster from the Spark home this module assembles.
 */
package io.github.losslab.spark;
