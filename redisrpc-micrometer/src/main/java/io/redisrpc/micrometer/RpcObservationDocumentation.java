package io.redisrpc.micrometer;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of redisrpc calls and their key names, after OpenTelemetry's RPC semantic
 * conventions. All keys are low-cardinality: they become tags of the call-duration timers as well
 * as attributes of the spans.
 */
public enum RpcObservationDocumentation implements ObservationDocumentation {
  /** A call made by an {@code RpcClient}: from the proxy method's call to the outcome. */
  CLIENT {
    @Override
    public Class<? extends ObservationConvention<? extends Observation.Context>>
        getDefaultConvention() {
      return DefaultRpcClientObservationConvention.class;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
      return LowCardinalityKeyNames.values();
    }
  },

  /** A call handled by an {@code RpcServer}: from the handler's start to its outcome. */
  SERVER {
    @Override
    public Class<? extends ObservationConvention<? extends Observation.Context>>
        getDefaultConvention() {
      return DefaultRpcServerObservationConvention.class;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
      return LowCardinalityKeyNames.values();
    }
  };

  /** The tags of every call observation. */
  public enum LowCardinalityKeyNames implements KeyName {
    /** Always {@code redisrpc}. */
    RPC_SYSTEM {
      @Override
      public String asString() {
        return "rpc.system";
      }
    },

    /** The service name, as in {@code @RpcService}. */
    RPC_SERVICE {
      @Override
      public String asString() {
        return "rpc.service";
      }
    },

    /** The endpoint name as it travels on the wire. */
    RPC_METHOD {
      @Override
      public String asString() {
        return "rpc.method";
      }
    },

    /** {@code OK}, or the name of the {@code StatusCode} the call failed with. */
    STATUS_CODE {
      @Override
      public String asString() {
        return "rpc.response.status_code";
      }
    },

    /**
     * The name of the {@code StatusCode} of a failed call, {@code none} for a successful one (a
     * timer's tag keys stay the same for every outcome).
     */
    ERROR_TYPE {
      @Override
      public String asString() {
        return "error.type";
      }
    }
  }
}
