package io.github.etcdgrpclb.sample.server;

import io.github.etcdgrpclb.sample.api.SimpleGrpc;
import io.github.etcdgrpclb.sample.api.SimpleRequest;
import io.github.etcdgrpclb.sample.api.SimpleResponse;
import io.grpc.stub.StreamObserver;

/**
 * Route as the Go tutorial implements it: code 200, value "hello " + data. The same on both Spring
 * lines; each line's sample registers it as its gRPC starter expects.
 */
public class SimpleService extends SimpleGrpc.SimpleImplBase {

	@Override
	public void route(SimpleRequest request, StreamObserver<SimpleResponse> responseObserver) {
		responseObserver.onNext(SimpleResponse.newBuilder().setCode(200).setValue("hello " + request.getData()).build());
		responseObserver.onCompleted();
	}

}
