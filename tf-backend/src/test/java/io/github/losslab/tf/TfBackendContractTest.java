package io.github.losslab.tf;

import io.github.losslab.api.contract.BackendContractTest;

/** The backend contract suite on TensorFlow. */
class TfBackendContractTest extends BackendContractTest {

    @Override
    protected String backendName() {
        return TfBackendProvider.NAME;
    }
}
