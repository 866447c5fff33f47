package io.github.etcdgrpclb.balancer;

import java.util.concurrent.Callable;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Tags on calls, for canary and version routing: a call tagged {@code canary} goes to the servers
 * whose metadata {@code tags} hold {@code canary} (to the untagged ones when none is ready, or nowhere
 * in strict mode). The tag travels as the {@link #CALL_OPTION} the balancer routes by and as the
 * {@code grpclb-tag} header a server hands on; set both through this class's interceptors. Tag a stub's calls with {@link #tag(String)}; or run code with a
 * tag in the gRPC {@link Context} ({@link #callWithTag}) and put {@link #propagating()} on the
 * channel; a server with {@link #fromIncomingCalls()} hands the tag of the call it serves on to the
 * calls it makes meanwhile, as Dubbo's tag routing does.
 * <p>
 * Tags are interned where they enter (here, and as read from etcd): the routing picker finds a call's
 * tag among the fleet's by identity, and looks in a map only for a tag set otherwise.
 */
public final class GrpclbTags {

	/** The call header that carries the tag to the server (which hands it on through its Context). */
	public static final Metadata.Key<String> HEADER = Metadata.Key.of("grpclb-tag", Metadata.ASCII_STRING_MARSHALLER);

	/**
	 * The call option the {@code weight} balancer routes by: set with the header by this class's
	 * interceptors. The picker reads it rather than the header: a call option is one identity lookup,
	 * a header a scan of the headers and a string decoded per call.
	 */
	public static final CallOptions.Key<String> CALL_OPTION = CallOptions.Key.create("grpclb-tag");

	private static final Context.Key<String> CONTEXT = Context.key("grpclb-tag");

	private GrpclbTags() {
	}

	/**
	 * @param tag the tag every call through the interceptor carries
	 * @return an interceptor for a stub or channel: {@code stub.withInterceptors(GrpclbTags.tag("canary"))}
	 */
	public static ClientInterceptor tag(String tag) {
		if (tag == null || tag.isBlank()) {
			throw new IllegalArgumentException("A tag must not be blank");
		}
		return new Tagging(tag.trim().intern(), false);
	}

	/**
	 * @return an interceptor that puts the tag of the current {@link Context} (set by
	 * {@link #callWithTag} or by {@link #fromIncomingCalls()}) on calls that carry none
	 */
	public static ClientInterceptor propagating() {
		return new Tagging(null, true);
	}

	/**
	 * @return a server interceptor that puts the tag of each incoming call into the Context it is
	 * served in, so that calls it makes through a {@link #propagating()} channel carry it on
	 */
	public static ServerInterceptor fromIncomingCalls() {
		return new ServerInterceptor() {

			@Override
			public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
					ServerCallHandler<Q, R> next) {
				String tag = headers.get(HEADER);
				return (tag == null) ? next.startCall(call, headers)
						: Contexts.interceptCall(Context.current().withValue(CONTEXT, tag.intern()), call, headers,
								next);
			}

		};
	}

	/**
	 * Runs the task with the tag in the current Context: calls it makes through a {@link #propagating()}
	 * channel carry the tag.
	 * @return what the task returns
	 */
	public static <T> T callWithTag(String tag, Callable<T> task) throws Exception {
		return Context.current().withValue(CONTEXT, (tag != null) ? tag.intern() : null).call(task);
	}

	/** @return the tag of the current Context, or null */
	public static String current() {
		return CONTEXT.get();
	}

	private static final class Tagging implements ClientInterceptor {

		private final String fixed;

		private final boolean fromContext;

		Tagging(String fixed, boolean fromContext) {
			this.fixed = fixed;
			this.fromContext = fromContext;
		}

		@Override
		public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
			String tag = this.fromContext ? current() : this.fixed;
			if (tag == null || options.getOption(CALL_OPTION) != null) {
				return next.newCall(method, options);
			}
			return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method,
					options.withOption(CALL_OPTION, tag))) {

				@Override
				public void start(Listener<R> listener, Metadata headers) {
					if (!headers.containsKey(HEADER)) {
						headers.put(HEADER, tag);
					}
					super.start(listener, headers);
				}

			};
		}

	}

}
