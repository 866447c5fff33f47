package io.github.etcdgrpclb.support;

import java.util.concurrent.atomic.AtomicReference;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.MethodDescriptor;

/** What a client interceptor makes of a call's options, read off a channel that only records them. */
public final class CallOptionsCapture {

	private CallOptionsCapture() {
	}

	/**
	 * @param interceptor the interceptor a call goes through
	 * @param options the options the call starts with
	 * @return the options the call reached the channel with
	 */
	public static CallOptions through(ClientInterceptor interceptor, CallOptions options) {
		AtomicReference<CallOptions> reached = new AtomicReference<>();
		Channel recording = new Channel() {

			@Override
			public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions callOptions) {
				reached.set(callOptions);
				return null;
			}

			@Override
			public String authority() {
				return "recording";
			}

		};
		ClientInterceptors.intercept(recording, interceptor).newCall(null, options);
		return reached.get();
	}

}
