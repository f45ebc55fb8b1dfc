package io.github.losslab.djl;

import io.github.losslab.api.contract.BackendContractTest;

/** The backend contract suite on PyTorch. */
class PtBackendContractTest extends BackendContractTest {

    @Override
    protected String backendName() {
        return PtBackendProvider.NAME;
    }
}
