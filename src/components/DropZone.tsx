/** Drag and drop of a file anywhere on the page; the first dropped file is loaded. */
import { useEffect, useState } from 'react';
import { useServices } from '../state/context';
import { useNetworkController } from '../network/context';

export function DropZone() {
  const { pipeline } = useServices();
  const network = useNetworkController();
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setOver(true);
    };
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      const file = e.dataTransfer?.files?.[0];
      // An ONNX model goes to the Network panel and a PTQ table (by content) to its chart; anything else is data.
      if (file && /\.onnx$/i.test(file.name)) void network.openModelFile(file);
      else if (file) void network.maybeOpenTable(file).then((table) => (table ? undefined : pipeline.loadFile(file)));
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [pipeline, network]);
  return over ? (
    <div className="dropzone" aria-hidden="true">
      <p>Drop a tensor file to analyse it — it stays in your browser.</p>
    </div>
  ) : null;
}
