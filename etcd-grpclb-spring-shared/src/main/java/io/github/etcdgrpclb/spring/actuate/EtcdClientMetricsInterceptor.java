package io.github.etcdgrpclb.spring.actuate;

import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Meters the jetcd client's own gRPC calls, like the tutorial's grpc-prometheus interceptor:
 * {@code etcd.client.requests} (timer of unary calls: Range, Put, Txn, LeaseGrant...) and
 * {@code etcd.client.streams} (counter of ended streams: Watch, LeaseKeepAlive), both tagged with
 * {@code method} and the gRPC {@code status}. Streams are counted, not timed: they live for hours.
 */
public class EtcdClientMetricsInterceptor implements ClientInterceptor {

	private final MeterRegistry registry;

	public EtcdClientMetricsInterceptor(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions callOptions, Channel next) {
		long started = System.nanoTime();
		boolean unary = method.getType() == MethodDescriptor.MethodType.UNARY;
		String name = method.getFullMethodName();
		return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, callOptions)) {

			@Override
			public void start(Listener<R> responseListener, Metadata headers) {
				super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(responseListener) {

					@Override
					public void onClose(Status status, Metadata trailers) {
						record(name, unary, status, System.nanoTime() - started);
						super.onClose(status, trailers);
					}

				}, headers);
			}

		};
	}

	private void record(String method, boolean unary, Status status, long nanos) {
		String code = status.getCode().name();
		if (unary) {
			Timer.builder("etcd.client.requests")
				.tags("method", method, "status", code)
				.description("Unary gRPC calls of the etcd client")
				.register(this.registry)
				.record(nanos, TimeUnit.NANOSECONDS);
		}
		else {
			Counter.builder("etcd.client.streams")
				.tags("method", method, "status", code)
				.description("Streaming gRPC calls of the etcd client that ended")
				.register(this.registry)
				.increment();
		}
	}

}
