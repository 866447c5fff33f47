package com.example.orders;

import java.util.concurrent.TimeUnit;

import io.github.etcdgrpclb.sample.api.SimpleGrpc;
import io.github.etcdgrpclb.sample.api.SimpleRequest;
import net.devh.boot.grpc.client.inject.GrpcClient;

import org.springframework.stereotype.Component;

/** Calls the service through the channel {@code orders} (grpc.client.orders.address=etcd:///orders). */
@Component
public class OrdersCaller {

	@GrpcClient("orders")
	private SimpleGrpc.SimpleBlockingStub orders;

	public String route(String data) {
		return this.orders.withDeadlineAfter(2, TimeUnit.SECONDS)
			.route(SimpleRequest.newBuilder().setData(data).build())
			.getValue();
	}

}
