{-# LANGUAGE OverloadedStrings #-}
-- stream.hs: a Tidal 1.7 client for tests/render/tidal.sh. It streams known patterns, Tidal's own way
-- (superdirtTarget: one timetagged /dirt/play bundle per event, 0.2 s latency, the handshake), to phonon's
-- receiver and, the same bundles, to a plain OSC dump that records what was sent.
-- usage: stream PHONON_PORT DUMP_PORT CONTROL_PORT SECONDS (Tidal handshakes from its control port)
import Control.Concurrent (threadDelay)
import Sound.Tidal.Context
import System.Environment (getArgs)

main :: IO ()
main = do
  [port, dumpPort, ctrlPort, secs] <- getArgs
  let phonon = superdirtTarget {oName = "phonon", oPort = read port, oLatency = 0.2}
      dump = superdirtTarget {oName = "dump", oPort = read dumpPort, oLatency = 0.2, oHandshake = False}
  stream <- startStream defaultConfig {cCtrlPort = read ctrlPort, cVerbose = True}
              [(phonon, [superdirtShape]), (dump, [superdirtShape])]
  -- onsets, gain and pan on orbit 0; cut on orbit 1; the orbit's delay on orbit 2
  streamReplace stream 1 $ s "click*4" # gain 1.2 # pan 0 # orbit 0
  streamReplace stream 2 $ s "long*2" # cut 1 # orbit 1
  streamReplace stream 3 $ s "click" # orbit 2 # delay 0.5 # delaytime 0.125 # delayfeedback 0
  threadDelay (round (read secs * 1000000 :: Double))
