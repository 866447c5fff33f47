package io.github.etcdgrpclb.sample.server;

import io.github.etcdgrpclb.sample.api.SimpleGrpc;
import io.github.etcdgrpclb.sample.api.SimpleRequest;
import io.github.etcdgrpclb.sample.api.SimpleResponse;
import io.grpc.stub.StreamObserver;
import net.devh.boot.grpc.server.service.GrpcService;

/**
 * Route as the Go tutorial implements it: code 200, value "hello " + data.
 */
@GrpcService
public class SimpleService extends SimpleGrpc.SimpleImplBase {

	@Override
	public void route(SimpleRequest request, StreamObserver<SimpleResponse> responseObserver) {
		responseObserver.onNext(SimpleResponse.newBuilder().setCode(200).setValue("hello " + request.getData()).build());
		responseObserver.onCompleted();
	}

}
