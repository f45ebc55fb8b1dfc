package io.github.losslab.tf;

import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/** Finds out whether the loaded TensorFlow native library can run on a GPU. */
final class TfDevices {

    private static Boolean gpu;

    private TfDevices() {
    }

    /** True when an operation pinned to GPU 0, with soft placement off, runs. Checked once per process. */
    static synchronized boolean gpuAvailable() {
        if (gpu == null) {
            gpu = probe();
        }
        return gpu;
    }

    static String gpuName() {
        return "GPU:0";
    }

    private static boolean probe() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g).withDevice(DeviceSpec.newBuilder()
                    .deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
            var sum = tf.math.add(tf.constant(1f), tf.constant(2f));
            ConfigProto config = ConfigProto.newBuilder().setAllowSoftPlacement(false).build();
            try (Session s = new Session(g, config); var r = s.runner().fetch(sum).run()) {
                return r.size() == 1;
            }
        } catch (RuntimeException e) {
            return false;
        }
    }
}
