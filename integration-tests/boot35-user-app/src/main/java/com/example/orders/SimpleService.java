package com.example.orders;

import io.github.etcdgrpclb.sample.api.SimpleGrpc;
import io.github.etcdgrpclb.sample.api.SimpleRequest;
import io.github.etcdgrpclb.sample.api.SimpleResponse;
import io.grpc.stub.StreamObserver;
import net.devh.boot.grpc.server.service.GrpcService;

/** The service, as net.devh serves it. */
@GrpcService
public class SimpleService extends SimpleGrpc.SimpleImplBase {

	@Override
	public void route(SimpleRequest request, StreamObserver<SimpleResponse> response) {
		response.onNext(SimpleResponse.newBuilder().setCode(200).setValue("hello " + request.getData()).build());
		response.onCompleted();
	}

}
